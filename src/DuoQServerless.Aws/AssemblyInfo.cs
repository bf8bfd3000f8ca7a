[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("DuoQServerless.IntegrationTests")]
