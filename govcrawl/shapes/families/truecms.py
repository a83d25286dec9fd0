"""TrueCMS (中国政府网 family): the list is filled from a hidden initData element or messageController calls."""
NAME = "truecms"
PRIORITY = 10
RENDER_HINTS = [("truecms", r"""id\s*=\s*["']?initData\b|messageController/getMessage""")]
