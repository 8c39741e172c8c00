/*
 * kernel/lguest_data.c: the one instance of struct lguest_data
 * (kernel/lguest_data.h). kernel/lguest.c fills it in and hands it over.
 */
#include "lguest_data.h"
#include "../lib/hot.h"

GUEST_HOT_DATA volatile struct lguest_data lguest_data;
