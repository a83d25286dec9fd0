"""Channel-API portals: a <meta name="channelId"> page whose list a script fetches by channel (getFileListByCodeId)."""
NAME = "channel-api"
PRIORITY = 35
RENDER_HINTS = [("channel-api", r"""<meta[^>]+name\s*=\s*["']channelId["']|getFileListByCodeId""")]
