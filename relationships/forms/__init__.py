"""Forms of the provider, reseller and customer pages. They shape the input; the services
hold the rules, and the views put the services' errors back on these forms."""
