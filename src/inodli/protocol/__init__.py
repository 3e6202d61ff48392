"""inodli.protocol."""
