"""inodli.adam."""
