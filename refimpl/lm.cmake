# (filled in by the lm layer)
