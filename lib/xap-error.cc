/*
 * xap-error.cc: the one place where exceptions become statuses.  Every
 * exported function of the shim catches (...) and hands over to pvdi_fail(),
 * so that no C++ exception ever reaches C.
 */
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <new>

#include "xap-private.hh"

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
			err = _("out of memory");
			return PVD_ENOMEM;
		} catch (const std::exception &e) {
			err = e.what();
			return PVD_EINTERNAL;
		} catch (...) {
			err = _("unknown exception");
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
pvdi_format(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = nullptr;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		throw std::bad_alloc();
	std::string out(s, (size_t)n);
	free(s);
	return out;
}
