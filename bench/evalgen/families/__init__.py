"""CMS families a generated site is rendered in; `FAMILIES[name](site).render()` gives its pages."""
from .ajax import Ajax
from .dede import Dede
from .epoint import Epoint
from .hanweb import Hanweb
from .legacy import Legacy
from .phpcms import Phpcms
from .trs import Trs

FAMILIES = {f.name: f for f in (Trs, Hanweb, Ajax, Legacy, Epoint, Dede, Phpcms)}
