"""Pages. One module per area: the application (applicant), the review (staff), the
account (agreement, profile, users)."""
