"""Forms of the enrollment pages: ``application`` (the wizard's steps), ``review`` (staff and
the partner's answers), ``partner`` (agreement, business profile). They shape the input;
the services hold the rules."""
