"""inodli.edc: the Django electronic data capture application.

The only package that imports Django; it calls :mod:`inodli.protocol` to compute every value
that must never be typed by hand (doses, grades, response categories, DLI decisions).
"""
