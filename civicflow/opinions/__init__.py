"""Opinion maps: people vote agree, disagree or pass on short statements, and the analysis
groups them by how they vote and finds what unites and what divides them.

``civicflow.opinions.analysis`` holds the pure maths and ``civicflow.opinions.polis_export``
reads and writes the Pol.is open-data export; neither imports Django.
"""
