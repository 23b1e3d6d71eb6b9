"""The canonical CSV headers of DESIGN.md section 3, written out: tests pin the contract."""

ORG_HEADER = (
    "id,name,kind,type,sectors,tags,city,region,country,lat,lon,employees,founded,website,"
    "description"
)
REL_HEADER = "source,target,type,weight,since,until,evidence"
