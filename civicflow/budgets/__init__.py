"""Participatory budgets: residents allocate a real budget, counted fairly and verifiably."""
