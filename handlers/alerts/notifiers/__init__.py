"""Notifiers deliver one alert to one staff member over one medium."""
