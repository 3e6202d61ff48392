"""inodli.stats."""
