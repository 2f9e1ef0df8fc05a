/* Including this makes the next inclusion of mapiguid.h define the IIDs its USES_IID_* lines
   name, as Microsoft's <initguid.h> does. */
#ifndef INITGUID
#define INITGUID
#endif
