/* MAPI's utility functions for clients and providers (implemented in libmapishut). */
#ifndef MAPIUTIL_H
#define MAPIUTIL_H

#include "mapicode.h"
#include "mapidefs.h"
#include "mapix.h"

/* Frees a row set from QueryRows: each row's properties, then the set. */
STDAPI_(void) FreeProws(LPSRowSet lpRows);
/* Frees an address list: each entry's properties, then the list. */
STDAPI_(void) FreePadrlist(LPADRLIST lpAdrlist);
/* Reads every row of a table (after SetColumns/Restrict/SortTable when given). */
STDAPI HrQueryAllRows(LPMAPITABLE lpTable, LPSPropTagArray lpPropTags, LPSRestriction lpRestriction,
                      LPSSortOrderSet lpSortOrderSet, LONG crowsMax, LPSRowSet FAR* lppRows);
/* Reads one property; *lppProp is freed with MAPIFreeBuffer. */
STDAPI HrGetOneProp(LPMAPIPROP lpMapiProp, ULONG ulPropTag, LPSPropValue FAR* lppProp);
STDAPI HrSetOneProp(LPMAPIPROP lpMapiProp, LPSPropValue lpProp);
/* The property with `ulPropTag` in the array (PT_UNSPECIFIED matches any type), or NULL. */
STDAPI_(LPSPropValue) PpropFindProp(LPSPropValue lpPropArray, ULONG cValues, ULONG ulPropTag);

#endif /* MAPIUTIL_H */
