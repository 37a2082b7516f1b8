# (filled in by the cluster layer)
