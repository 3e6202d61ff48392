"""A JSON REST API over subjects, forms and queries, with the same permissions as the pages.

Writes go through the same code as the pages (the form's ``commit`` and the governance
services), so every rule, lock, audit event and edit check applies. OpenAPI 3 at
``/api/schema/`` (drf-spectacular). Messages come in English or Simplified Chinese
(``language``: Accept-Language, then the profile language); keys and codes never change."""
