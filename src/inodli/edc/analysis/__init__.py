"""Pages for the trial statistician: the study report and the design/monitoring status."""
