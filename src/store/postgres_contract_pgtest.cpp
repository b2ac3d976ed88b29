// The backend contract (store_*_contract_test.cpp) run against PostgreSQL (PORTRAIT_PG_URL).
#include "store/store_test_support.h"

namespace portrait::store {

PORTRAIT_INSTANTIATE_STORE_CONTRACT(Contract, Backend::kPostgres);

}  // namespace portrait::store
