#define INITGUID
#define USES_IID_IMAPIClientShutdown
#include <initguid.h>
#include <mapiguid.h>

const GUID* SecondTranslationUnitsClientShutdownIid() { return &IID_IMAPIClientShutdown; }
