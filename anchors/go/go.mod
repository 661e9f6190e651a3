module gort-anchors

go 1.19
