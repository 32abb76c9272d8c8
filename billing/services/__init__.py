"""Billing's writes, one module per part of commerce: the price list, orders, subscriptions
and reservations, the customer tenant's users and licenses, invoices. Each state change is
one function here (HOUSE_STYLE: checks the actor's right, locks, moves the state, writes one
audit row, queues notifications after commit)."""
