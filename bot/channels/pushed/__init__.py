"""What the push-webhook channels (WeChat, Weibo) share: answering inside the platform's reply
window or later through its send API, surviving the platform's retries, refusing replays."""
