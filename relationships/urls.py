from .views import customers, providers

app_name = "relationships"

urlpatterns = [*providers.urlpatterns, *customers.urlpatterns]
