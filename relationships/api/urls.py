from . import customers, providers

urlpatterns = [*providers.urlpatterns, *customers.urlpatterns]
