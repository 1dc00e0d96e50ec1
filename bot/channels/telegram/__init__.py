"""Telegram bots through python-telegram-bot."""
