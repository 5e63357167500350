import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# What start-up loaded (Django, the apps, their models and modules) lives as long as the
# process: it is moved out of the garbage collector's reach, so a full collection scans only
# what requests create. Over the whole start-up heap, a full collection added about 100 ms to
# one request in fifteen (bench/RESULTS.md).
gc.collect()
gc.freeze()
