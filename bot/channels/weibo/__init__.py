"""Weibo (微博粉丝服务平台): private messages pushed to govbot, comments on the accounts' posts."""
