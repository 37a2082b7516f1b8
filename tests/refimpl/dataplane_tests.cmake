# (filled in by the dataplane layer)
