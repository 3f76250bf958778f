"""Similarity: embeddings of ideas, challenges and case studies, and the search by meaning
that answers "has this been done already?"."""
