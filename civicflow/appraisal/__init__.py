"""Appraisal: published criteria, fair panels, challenge prizes, fund rounds and hack days."""
