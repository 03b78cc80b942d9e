# URL patterns for this area are added with its views.
urlpatterns: list = []
