"""Foundation of the data capture application.

The abstract base for captured records (:mod:`.models`), the append-only audit trail
(:mod:`.audit`), the one service layer every write goes through (:mod:`.services`), the base
form and view (:mod:`.forms`, :mod:`.views`), the form registry (:mod:`.registry`), user
profiles with a preferred language and the study roles (:mod:`.roles`).
"""
