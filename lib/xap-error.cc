/*
 * xap-error.cc: the one place where exceptions become statuses.  Every
 * exported function of the shim catches (...) and hands over to pvdi_fail(),
 * so that no C++ exception ever reaches C.
 */
#include <cstdlib>
#include <cstring>
#include <new>

#include "xap-private.h"

pvd_status
pvdi_fail(std::string &err) noexcept
{
	try {
		try {
			throw;
		} catch (const Xapian::DatabaseModifiedError &e) {
			err = e.get_description();
			return PVD_EMODIFIED;
		} catch (const Xapian::DatabaseLockError &e) {
			err = e.get_description();
			return PVD_ELOCKED;
		} catch (const Xapian::DatabaseNotFoundError &e) {
			err = e.get_description();
			return PVD_ENOENT;
		} catch (const Xapian::QueryParserError &e) {
			err = e.get_description();
			return PVD_EQUERY;
		} catch (const Xapian::DatabaseCorruptError &e) {
			err = e.get_description();
			return PVD_ECORRUPT;
		} catch (const Xapian::Error &e) {
			err = e.get_description();
			return PVD_EXAPIAN;
		} catch (const std::bad_alloc &) {
			err = "out of memory";
			return PVD_ENOMEM;
		} catch (const std::exception &e) {
			err = e.what();
			return PVD_EINTERNAL;
		} catch (...) {
			err = "unknown exception";
			return PVD_EINTERNAL;
		}
	} catch (...) {
		/* Assigning the message itself failed. */
		return PVD_ENOMEM;
	}
}

void
pvdi_give_msg(char **errmsg, const std::string &msg) noexcept
{
	if (errmsg)
		*errmsg = strdup(msg.c_str());
}

std::string
pvdi_id_term(const char *path)
{
	std::string t = PVDI_P_ID;
	size_t len = std::strlen(path);
	if (len <= 200)
		return t + path;
	/* Xapian refuses terms over 245 bytes: long paths go by their start
	 * and a 64-bit FNV-1a hash of the whole. */
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)path[i];
		h *= 1099511628211ULL;
	}
	char hex[17];
	snprintf(hex, sizeof hex, "%016llx", (unsigned long long)h);
	return t + std::string(path, 180) + "#" + hex;
}
