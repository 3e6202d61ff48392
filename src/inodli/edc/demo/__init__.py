"""The synthetic demonstration study: demo users and 23 patients built through the services.

:func:`inodli.edc.demo.generator.build_demo_study` is what ``inodli demo`` runs.
"""
