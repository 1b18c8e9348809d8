"""Where private files live: a folder that has no URL.

Applicants', objectors' and employers' files are stored on ``storages["private"]``
(``PRIVATE_MEDIA_ROOT``) and served only by views that check the permission and the
record's scope.  Django's ``FileSystemStorage`` would still make up a URL under
``MEDIA_URL`` for them; this one refuses, so no template or widget can ever print a
public link to a private file.
"""

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="website.storage.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise NotImplementedError("私有文件没有公开网址，只能通过权限检查的视图下载。")
