/*
 * xap-private.hh: what the C++ files of the Xapian shim share.  Only the
 * xap-*.cc files include it.
 */
#ifndef PVD_XAP_PRIVATE_H
#define PVD_XAP_PRIVATE_H

#include <string>

#include <xapian.h>

#include "pvd-private.h"

/*
 * Call from inside a catch block: rethrows the exception in flight, maps it
 * to a status (most specific type first) and stores its message in err.
 * No exception leaves it.
 */
pvd_status pvdi_fail(std::string &err) noexcept;

/* Hand a message to a caller that has no handle yet (char **errmsg). */
void pvdi_give_msg(char **errmsg, const std::string &msg) noexcept;


#endif
