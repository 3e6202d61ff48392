# Design-adjusted inference after a two-stage single-arm design, written for inodli's tests
# independently of the Python code: the p-value and the confidence limits come from an explicit
# enumeration of every (stage-1 count, stage-2 count) the design can produce, ranked stage-wise
# (Koyama & Chen 2008); the UMVUE is E[first patient's response | stopping stage, total]
# computed from binomial probabilities at an arbitrary rate (it is free of the rate, being a
# function of the sufficient statistic; Jung & Kim 2004). Only base R (dbinom, uniroot).
#
# Sourced by make_two_stage_inference.R (stored reference) and by the live test
# tests/design/test_two_stage_inference.py (marked r).

# Every outcome of the design with its stage-wise rank: stage-1 stops rank by x1 (0..r1),
# outcomes after stage 2 rank above all of them, by the total.
ts_outcomes <- function(n1, r1, n) {
  n2 <- n - n1
  stop1 <- data.frame(x1 = 0:r1, x2 = 0, stage = 1)
  grid <- expand.grid(x1 = (r1 + 1):n1, x2 = 0:n2)
  cont <- data.frame(x1 = grid$x1, x2 = grid$x2, stage = 2)
  out <- rbind(stop1, cont)
  out$total <- out$x1 + out$x2
  out$rank <- ifelse(out$stage == 1, out$x1, r1 + 1 + out$total)
  out
}

ts_prob <- function(outcomes, n1, n, p) {
  dbinom(outcomes$x1, n1, p) * ifelse(outcomes$stage == 1, 1, dbinom(outcomes$x2, n - n1, p))
}

ts_rank <- function(stage, x1, x, r1) if (stage == 1) x1 else r1 + 1 + x

# P_p(rank >= observed) and P_p(rank <= observed), by summing the enumerated outcomes.
ts_upper <- function(p, stage, x1, x, n1, r1, n) {
  o <- ts_outcomes(n1, r1, n)
  sum(ts_prob(o, n1, n, p)[o$rank >= ts_rank(stage, x1, x, r1)])
}
ts_lower <- function(p, stage, x1, x, n1, r1, n) {
  o <- ts_outcomes(n1, r1, n)
  sum(ts_prob(o, n1, n, p)[o$rank <= ts_rank(stage, x1, x, r1)])
}

ts_root <- function(f, target) {
  uniroot(function(p) f(p) - target, c(0, 1), tol = 1e-14, maxiter = 10000)$root
}

ts_umvue <- function(stage, x1, x, n1, r1, n, p = 0.37) {
  if (stage == 1) return(x1 / n1)
  n2 <- n - n1
  k <- (r1 + 1):n1
  # P(first patient responds, X1 = k, X2 = x - k) / P(X1 = k, X2 = x - k), summed over k
  joint_first <- p * dbinom(k - 1, n1 - 1, p) * dbinom(x - k, n2, p)
  joint <- dbinom(k, n1, p) * dbinom(x - k, n2, p)
  sum(joint_first) / sum(joint)
}

ts_inference <- function(stage, x1, x, n1, r1, n, p0, level = 0.95) {
  tail <- (1 - level) / 2
  up <- function(p) ts_upper(p, stage, x1, x, n1, r1, n)
  lo <- function(p) ts_lower(p, stage, x1, x, n1, r1, n)
  least <- stage == 1 && x1 == 0
  most <- stage == 2 && x == n
  list(
    p_value = up(p0),
    lower = if (least) 0 else ts_root(up, tail),
    upper = if (most) 1 else ts_root(lo, tail),
    umvue = ts_umvue(stage, x1, x, n1, r1, n),
    umvue_other_rate = ts_umvue(stage, x1, x, n1, r1, n, p = 0.61),
    median_unbiased = if (least) 0 else ts_root(up, 0.5)
  )
}

# Run ts_inference on every row of a data frame with columns stage, x1, x, n1, r1, n, p0, level.
ts_table <- function(cases) {
  rows <- lapply(seq_len(nrow(cases)), function(i) {
    c <- cases[i, ]
    as.data.frame(ts_inference(c$stage, c$x1, c$x, c$n1, c$r1, c$n, c$p0, c$level))
  })
  cbind(cases, do.call(rbind, rows))
}
