"""The table view (`view=table`): the view's areas × indicators in one sortable, downloadable table."""
