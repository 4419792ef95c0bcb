# Rebuild the test index of corpus/ from nothing with pvd-index.
file(REMOVE_RECURSE ${INDEX})
execute_process(COMMAND ${INDEXER} --quiet --db ${INDEX} ${CORPUS} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pvd-index exited with ${rc}")
endif()
