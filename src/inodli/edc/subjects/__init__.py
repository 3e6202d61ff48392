"""Subjects: registration, informed consent, eligibility, enrolment, baseline, study status."""
