"""inodli.report."""
