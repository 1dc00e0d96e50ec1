"""WeChat official accounts (微信公众号) through wechatpy."""
