"""Community-tourism experiences: departures with places, bookings online and at the till,
the provider's manifest, booking vouchers and check-in."""
