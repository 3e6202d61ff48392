"""Treatment case report forms: InO administrations, HLA-loss tests, DLI, intrathecal courses."""
