"""Template filters for the audit log."""

from django import template

from civicflow.core.audit import action_label

register = template.Library()
register.filter("action_label", action_label)
