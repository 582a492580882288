"""Administration of areas: read and correct names and kinds; imports stay the way in."""

from django.contrib import admin

from .models import Area, AreaImport, ConversionKey


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "level", "kind", "population", "valid_from", "valid_to"]
    list_filter = ["level", "vintage", "kind"]
    search_fields = ["name", "key", "regional_key"]
    readonly_fields = ["geometry", "area_km2", "geometry_derived", "source", "vintage"]
    raw_id_fields = ["parent"]


@admin.register(AreaImport)
class AreaImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "level", "vintage", "created_at", "created_by", "created_count"]
    list_filter = ["level"]
    readonly_fields = [f.name for f in AreaImport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # an import record is written by the import itself, never by hand


@admin.register(ConversionKey)
class ConversionKeyAdmin(admin.ModelAdmin):
    list_display = ["old_area", "new_area", "weight", "effective_date", "basis"]
    list_filter = ["effective_date"]
    search_fields = ["old_area__name", "new_area__name", "old_area__key", "new_area__key"]
    raw_id_fields = ["old_area", "new_area"]
