# R answers for the adversarial cases in edge_cases.csv (tiny data sets: n = 1, everything
# censored or tied, zero times, flat stretches at S = 0.5, empty strata, separated covariates,
# no competing events) and for exact binomial tests at x = 0 and x = n.
# Usage (from tests/data): Rscript make_edge_cases.R   -> writes edge_cases.json
suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
  library(jsonlite)
})

d <- read.csv("edge_cases.csv", stringsAsFactors = FALSE)
out <- list(meta = list(r_version = R.version.string,
                        survival = as.character(packageVersion("survival")),
                        cmprsk = as.character(packageVersion("cmprsk")),
                        generated_by = "make_edge_cases.R"))

# Warnings are part of the answer (coxph's "coefficient may be infinite").
capture <- function(expr) {
  warns <- character(0)
  value <- withCallingHandlers(expr, warning = function(w) {
    warns <<- c(warns, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(value = value, warnings = warns)
}

probs <- c(0.25, 0.5, 0.75)
times <- c(0, 0.5, 1, 2, 2.5, 3, 4, 5, 10)
km <- list()
for (k in unique(d$case[d$kind == "km"])) {
  x <- d[d$kind == "km" & d$case == k, ]
  one <- list()
  for (ct in c("log", "log-log", "plain", "logit", "arcsin")) {
    f <- survfit(Surv(time, event) ~ 1, data = x, conf.type = ct)
    tab <- summary(f)$table
    q <- quantile(f, probs)
    at <- summary(f, times = times, extend = TRUE)
    one[[ct]] <- list(
      time = f$time, n_risk = f$n.risk, n_event = f$n.event, n_censor = f$n.censor,
      surv = f$surv, std_err_log = f$std.err, lower = f$lower, upper = f$upper,
      median = unname(tab["median"]), median_lower = unname(tab["0.95LCL"]),
      median_upper = unname(tab["0.95UCL"]), rmean = unname(tab["rmean"]),
      se_rmean = unname(tab["se(rmean)"]),
      quantile = unname(q$quantile), quantile_lower = unname(q$lower),
      quantile_upper = unname(q$upper),
      at_times = list(time = at$time, n_risk = at$n.risk, surv = at$surv, std_err = at$std.err,
                      lower = at$lower, upper = at$upper))
  }
  km[[k]] <- one
}
out$km <- km

logrank <- list()
for (k in unique(d$case[d$kind == "logrank"])) {
  x <- d[d$kind == "logrank" & d$case == k, ]
  fml <- if (all(is.na(x$strata))) Surv(time, event) ~ group else
    Surv(time, event) ~ group + strata(strata)
  one <- list()
  for (rho in c(0, 0.5, 1, 2)) {
    s <- survdiff(fml, data = x, rho = rho)
    one[[paste0("rho_", rho)]] <- list(
      chisq = s$chisq, p_value = s$pvalue, observed = as.vector(rowSums(as.matrix(s$obs))),
      expected = as.vector(rowSums(as.matrix(s$exp))), variance = as.vector(s$var))
  }
  logrank[[k]] <- one
}
out$logrank <- logrank

cox <- list()
for (k in unique(d$case[d$kind == "cox"])) {
  x <- d[d$kind == "cox" & d$case == k, ]
  fml <- if (all(is.na(x$strata))) Surv(time, event) ~ x1 else
    Surv(time, event) ~ x1 + strata(strata)
  one <- list()
  for (ties in c("efron", "breslow")) {
    r <- capture(coxph(fml, data = x, ties = ties))
    f <- r$value
    one[[ties]] <- list(
      coef = unname(coef(f)), variance = as.vector(f$var), loglik = f$loglik,
      score = f$score, iter = f$iter, concordance = unname(f$concordance["concordance"]),
      warnings = r$warnings)
  }
  cox[[k]] <- one
}
out$cox <- cox

# survival::lung (lung.csv here), age + sex, stopped after iter.max = 2: coxph then reports
# iter 3 and, as variance, 1 / diag(information) with zero covariances
lung <- read.csv("lung.csv")
r <- capture(coxph(Surv(time, status) ~ age + sex, data = lung, iter.max = 2))
out$cox_lung_iter_max_2 <- list(coef = unname(coef(r$value)), variance = as.vector(r$value$var),
                                loglik = r$value$loglik, iter = r$value$iter,
                                warnings = r$warnings)

# Text labels: R's factor levels (ICU collation) and a Cox fit on a text covariate
labels <- c("Treatment", "control", "placebo", "Placebo", "arm B", "Arm A", "arm a", "10 mg",
            "5 mg", "2.5 mg", "high-dose", "High dose", "e", "E", "\u00e9", "\u00c9", "_x", "z")
out$collation <- list(labels = labels, levels = levels(factor(labels)))
x <- d[d$kind == "cox_factor", ]
f <- coxph(Surv(time, event) ~ group, data = x)
out$cox_factor <- list(terms = names(coef(f)), coef = unname(coef(f)), variance = as.vector(f$var))

# Two nearly collinear covariates (kind cox_two): a fit, and NA for x2
out$cox_two <- list()
for (k in unique(d$case[d$kind == "cox_two"])) {
  x <- d[d$kind == "cox_two" & d$case == k, ]
  f <- coxph(Surv(time, event) ~ x1 + x2, data = x)
  out$cox_two[[k]] <- list(coef = unname(coef(f)), variance = as.vector(f$var))
}

finegray <- list()
for (k in unique(d$case[d$kind == "finegray"])) {
  x <- d[d$kind == "finegray" & d$case == k, ]
  f <- crr(x$time, x$event, cbind(x1 = x$x1), failcode = 1, cencode = 0)
  finegray[[k]] <- list(coef = unname(f$coef), variance = as.vector(f$var), loglik = f$loglik,
                        loglik_null = f$loglik.null, converged = f$converged)
}
out$finegray <- finegray

# Where R stops with an error: the message
errors <- list()
for (k in unique(d$case[d$kind == "logrank_error"])) {
  x <- d[d$kind == "logrank_error" & d$case == k, ]
  errors$logrank[[k]] <- tryCatch({survdiff(Surv(time, event) ~ group, data = x); "no error"},
                                  error = conditionMessage)
}
for (k in unique(d$case[d$kind == "finegray_error"])) {
  x <- d[d$kind == "finegray_error" & d$case == k, ]
  errors$finegray[[k]] <- tryCatch({crr(x$time, x$event, cbind(x1 = x$x1)); "no error"},
                                   error = conditionMessage)
}
out$errors <- errors

# Exact binomial tests at the edges: x = 0, x = n, one-sided alternatives, n = 1.
grid <- expand.grid(x = c(0, 1, 5, 10), n = c(1, 5, 10), p0 = c(0.1, 0.5),
                    alternative = c("two.sided", "greater", "less"), conf_level = c(0.95, 0.9),
                    stringsAsFactors = FALSE)
grid <- grid[grid$x <= grid$n, ]
out$binomial <- lapply(seq_len(nrow(grid)), function(i) {
  g <- grid[i, ]
  b <- binom.test(g$x, g$n, g$p0, alternative = g$alternative, conf.level = g$conf_level)
  # prop.test warns that its chi-square p-value is unreliable for tiny n; only its Wilson
  # interval is used here
  w <- suppressWarnings(prop.test(g$x, g$n, conf.level = g$conf_level, correct = FALSE))$conf.int
  list(x = g$x, n = g$n, p0 = g$p0, alternative = g$alternative, conf_level = g$conf_level,
       p_value = b$p.value, lower = b$conf.int[1], upper = b$conf.int[2],
       wilson_lower = w[1], wilson_upper = w[2])
})

# na = "string" keeps R's NA, NaN and Inf apart ("NA", "NaN", "Inf")
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "string"),
           "edge_cases.json")
