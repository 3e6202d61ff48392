"""inodli.design."""
