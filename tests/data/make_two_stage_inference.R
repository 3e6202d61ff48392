# Writes two_stage_inference.csv: design-adjusted p-values, 95% (and 90%) confidence limits,
# UMVUE and median-unbiased estimates from two_stage_inference.R, for every outcome of the
# trial's design and for a few published designs. Run from this folder:
#   Rscript --vanilla make_two_stage_inference.R
source("two_stage_inference.R")

designs <- list(
  # the trial's design: stop if <= 4 of 10 respond, 23 in total, p0 = 0.30 (inodli TRIAL_DESIGN)
  list(id = "trial", n1 = 10, r1 = 4, n = 23, p0 = 0.30),
  # Simon (1989) Table 1, p0 = 0.05, p1 = 0.25, alpha = 0.10, beta = 0.10, optimal: 0/9, 2/24
  list(id = "simon_0.05_optimal", n1 = 9, r1 = 0, n = 24, p0 = 0.05),
  # clinfun vignette / Simon (1989) p0 = 0.05, p1 = 0.20, alpha 0.10, power 0.90 optimal: 0/12, 3/37
  list(id = "simon_0.05_0.20_optimal", n1 = 12, r1 = 0, n = 37, p0 = 0.05),
  # the design of the InferenceBEAGSD examples (pvaluek(21, 19, 4, 54, 0.2))
  list(id = "n1_19_r1_4_n_54", n1 = 19, r1 = 4, n = 54, p0 = 0.20)
)

cases <- do.call(rbind, lapply(designs, function(d) {
  stop1 <- data.frame(stage = 1, x1 = 0:d$r1, x = 0:d$r1)
  totals <- (d$r1 + 1):d$n
  # any stage-1 count compatible with the total will do: the smallest one
  stage2 <- data.frame(stage = 2, x1 = pmax(d$r1 + 1, totals - (d$n - d$n1)), x = totals)
  rows <- rbind(stop1, stage2)
  cbind(design = d$id, rows, n1 = d$n1, r1 = d$r1, n = d$n, p0 = d$p0)
}))
cases <- rbind(cbind(cases, level = 0.95), cbind(cases[cases$design == "trial", ], level = 0.90))
table <- ts_table(cases)
write.csv(table, "two_stage_inference.csv", row.names = FALSE)
cat(R.version.string, "\n")
