"""The review desk's own store (decisions, accounts, audit) and the structured-import template.

Shared by the ETL (which applies the decisions when it builds) and the dashboard (which records them):
it imports neither of them.
"""
