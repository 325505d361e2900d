"""The change view (`view=change`): each area's change from the year before to its latest year, indicator
by indicator, as diverging bars coloured by whether the change is an improvement."""
